"""`python -m scanner` runs the mcp-guard CLI."""

from scanner.cli import main

if __name__ == "__main__":
    main()
