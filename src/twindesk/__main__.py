import sys

from twindesk.cli import main

sys.exit(main())
