"""The public visitor API and the serving of the storefront snippet."""
