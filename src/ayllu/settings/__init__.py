"""Django settings: `base` plus one module per environment (dev, test, prod)."""
