# Read by gunicorn from the working directory, in the local run and in the container alike.
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = 60
accesslog = "-"
# A drawn area travels in the statistics page's URL (up to 500 vertices): gunicorn's largest line.
limit_request_line = 8190
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Gunicorn 25+ opens a control socket at one fixed path per user ($HOME/.gunicorn/gunicorn.ctl):
# two instances at once (a developer's `make run` and the test of it) would take it from each
# other. Nothing here uses gunicornc, so there is no socket.
control_socket_disable = True
