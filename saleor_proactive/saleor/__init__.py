"""Everything Saleor-specific: manifest, registration, signatures, webhooks, GraphQL client."""
