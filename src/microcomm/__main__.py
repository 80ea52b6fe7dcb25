"""`python -m microcomm` runs the command line."""

from microcomm.cli import main

if __name__ == "__main__":
    main()
