"""Commerce around the design: points and membership, packages and promotions, money held in escrow
states. Pure rules (no web, no database, no settings); ``backend.services`` stores what they decide."""
