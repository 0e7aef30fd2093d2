"""``python -m openai_assistants``: the command line."""

import sys

from openai_assistants._cli import main

sys.exit(main())
