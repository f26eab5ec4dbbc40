"""Built-in adapters, one module per platform, each with its signals at the top."""
