"""Background work for the application: each worker is a QObject run on its own QThread."""
