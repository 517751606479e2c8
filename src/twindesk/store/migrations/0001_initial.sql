-- twindesk schema version 1: the first release.
-- Never edit a released migration: add the next numbered file instead.

CREATE TABLE change_set (
	id VARCHAR NOT NULL, 
	at DATETIME NOT NULL, 
	installation VARCHAR NOT NULL, 
	summary VARCHAR NOT NULL, 
	undo_of VARCHAR, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_change_set_undo_of ON change_set (undo_of);

CREATE TABLE city (
	id VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	name VARCHAR NOT NULL, 
	hangul VARCHAR NOT NULL, 
	province VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	industries JSON NOT NULL, 
	romanisations JSON NOT NULL, 
	notes VARCHAR NOT NULL, 
	seed_key VARCHAR, 
	search VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_city_seed_key ON city (seed_key);

CREATE TABLE meta (
	"key" VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
);

CREATE TABLE change (
	seq INTEGER NOT NULL, 
	change_set_id VARCHAR NOT NULL, 
	at DATETIME NOT NULL, 
	installation VARCHAR NOT NULL, 
	entity VARCHAR NOT NULL, 
	record_id VARCHAR NOT NULL, 
	field VARCHAR NOT NULL, 
	old VARCHAR, 
	new VARCHAR, 
	PRIMARY KEY (seq), 
	FOREIGN KEY(change_set_id) REFERENCES change_set (id)
);
CREATE INDEX ix_change_change_set_id ON change (change_set_id);
CREATE INDEX ix_change_record_id ON change (record_id);

CREATE TABLE invitation (
	id VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	direction VARCHAR NOT NULL, 
	event_name VARCHAR NOT NULL, 
	host_city_id VARCHAR, 
	start_date DATE NOT NULL, 
	end_date DATE NOT NULL, 
	rsvp_by DATE, 
	status VARCHAR NOT NULL, 
	party VARCHAR NOT NULL, 
	notes VARCHAR NOT NULL, 
	search VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(host_city_id) REFERENCES city (id)
);
CREATE INDEX ix_invitation_host_city_id ON invitation (host_city_id);

CREATE TABLE partnership (
	id VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	city_id VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	stage VARCHAR NOT NULL, 
	signed_on DATE, 
	signed_place VARCHAR NOT NULL, 
	signatories_home VARCHAR NOT NULL, 
	signatories_partner VARCHAR NOT NULL, 
	areas JSON NOT NULL, 
	sectors JSON NOT NULL, 
	notes VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(city_id) REFERENCES city (id)
);
CREATE INDEX ix_partnership_city_id ON partnership (city_id);

CREATE TABLE visit (
	id VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	direction VARCHAR NOT NULL, 
	city_id VARCHAR NOT NULL, 
	start_date DATE NOT NULL, 
	end_date DATE NOT NULL, 
	purpose VARCHAR NOT NULL, 
	areas JSON NOT NULL, 
	status VARCHAR NOT NULL, 
	budget_amount VARCHAR NOT NULL, 
	budget_currency VARCHAR NOT NULL, 
	notes VARCHAR NOT NULL, 
	search VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(city_id) REFERENCES city (id)
);
CREATE INDEX ix_visit_city_id ON visit (city_id);
CREATE INDEX ix_visit_live_start ON visit (deleted_at, start_date);

CREATE TABLE contact (
	id VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	partnership_id VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	organisation VARCHAR NOT NULL, 
	email VARCHAR NOT NULL, 
	phone VARCHAR NOT NULL, 
	language VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(partnership_id) REFERENCES partnership (id)
);
CREATE INDEX ix_contact_partnership_id ON contact (partnership_id);

CREATE TABLE gift (
	id VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	visit_id VARCHAR NOT NULL, 
	item VARCHAR NOT NULL, 
	direction VARCHAR NOT NULL, 
	counterpart VARCHAR NOT NULL, 
	occasion VARCHAR NOT NULL, 
	given_on DATE, 
	PRIMARY KEY (id), 
	FOREIGN KEY(visit_id) REFERENCES visit (id)
);
CREATE INDEX ix_gift_visit_id ON gift (visit_id);

CREATE TABLE itinerary_item (
	id VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	visit_id VARCHAR NOT NULL, 
	day DATE NOT NULL, 
	time VARCHAR NOT NULL, 
	place VARCHAR NOT NULL, 
	what VARCHAR NOT NULL, 
	host VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(visit_id) REFERENCES visit (id)
);
CREATE INDEX ix_itinerary_item_visit_id ON itinerary_item (visit_id);

CREATE TABLE member (
	id VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	visit_id VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	organisation VARCHAR NOT NULL, 
	role VARCHAR NOT NULL, 
	dietary VARCHAR NOT NULL, 
	contact VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(visit_id) REFERENCES visit (id)
);
CREATE INDEX ix_member_visit_id ON member (visit_id);

CREATE TABLE outcome (
	id VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	area VARCHAR NOT NULL, 
	programme VARCHAR NOT NULL, 
	city_id VARCHAR, 
	partnership_id VARCHAR, 
	visit_id VARCHAR, 
	invitation_id VARCHAR, 
	happened_on DATE NOT NULL, 
	title VARCHAR NOT NULL, 
	description VARCHAR NOT NULL, 
	search VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(city_id) REFERENCES city (id), 
	FOREIGN KEY(partnership_id) REFERENCES partnership (id), 
	FOREIGN KEY(visit_id) REFERENCES visit (id), 
	FOREIGN KEY(invitation_id) REFERENCES invitation (id)
);
CREATE INDEX ix_outcome_city_id ON outcome (city_id);

CREATE TABLE stage_change (
	id VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	partnership_id VARCHAR NOT NULL, 
	stage VARCHAR NOT NULL, 
	changed_on DATE NOT NULL, 
	note VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(partnership_id) REFERENCES partnership (id)
);
CREATE INDEX ix_stage_change_partnership_id ON stage_change (partnership_id);

CREATE TABLE figure (
	id VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	outcome_id VARCHAR NOT NULL, 
	measure VARCHAR NOT NULL, 
	value FLOAT NOT NULL, 
	unit VARCHAR NOT NULL, 
	currency VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(outcome_id) REFERENCES outcome (id)
);
CREATE INDEX ix_figure_outcome_id ON figure (outcome_id);
