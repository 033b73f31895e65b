"""Jobs: the Celery tasks (thin shells over the services) and the embedded deadline sweeper."""
