from espresso.cli import main

raise SystemExit(main())
