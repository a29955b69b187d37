"""`python -m bulletin`: the same as the `bulletin` command."""

from bulletin.cli import main

main()
