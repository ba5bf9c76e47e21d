"""Loading versioned content (references, articles) and searching it."""
