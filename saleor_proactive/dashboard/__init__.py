"""The merchant app page inside the Saleor Dashboard and its GraphQL API."""
