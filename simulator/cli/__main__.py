"""``python -m simulator.cli``."""

from .main import main

raise SystemExit(main())
