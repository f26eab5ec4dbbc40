"""Platform adapters: built-in, user-defined (``[platforms.*]``) and plugins."""
