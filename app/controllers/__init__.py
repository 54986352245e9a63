"""Logic of the window, one controller per concern; views are passed in, never created here."""
