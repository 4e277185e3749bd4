"""Floor-plan vectorizer benchmark: synthetic plans with exact ground truth and real images."""
