"""Who comes: registrations, capacity, waitlist, camp, payments."""
