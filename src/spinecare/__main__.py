"""``python -m spinecare`` runs the command line, as the ``spinecare`` script does."""

from spinecare.entrypoints.cli.main import main

if __name__ == "__main__":
    main()
