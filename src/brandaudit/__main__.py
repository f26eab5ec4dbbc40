"""``python -m brandaudit``."""

from brandaudit._entry import main

if __name__ == "__main__":
    main()
