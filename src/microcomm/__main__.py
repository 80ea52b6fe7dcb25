"""`python -m microcomm` runs the command line."""

from microcomm.cli import main

main()
