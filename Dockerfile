# syntax=docker/dockerfile:1
# Smart Map Tbilisi: one image for every process. docker-compose.yml picks the process with `command`,
# always a line of the Procfile; without one the container serves the web (CMD below, the Procfile's web).
FROM python:3.11-slim-bookworm

# GeoDjango loads GDAL and GEOS (PROJ comes with GDAL) through ctypes, so the runtime libraries are
# enough: no -dev packages and no compiler, since every pinned requirement ships a manylinux wheel.
# gettext provides msgfmt for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgdal32 libgeos-c1v5 libproj25 gettext \
    && rm -rf /var/lib/apt/lists/*

# DEBUG=0 makes the image production by default. docker-compose.yml requires SECRET_KEY: without one
# settings.py would generate a key into each container's var/, different in web and worker, and gone
# with the container.
# HOST=0.0.0.0 lets gunicorn.conf.py bind where the published port and the compose healthcheck reach it.
# SMARTMAP_VAR_DIR must stay /app/var at run time: collectstatic writes var/staticfiles there below.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBUG=0 \
    SMARTMAP_VAR_DIR=/app/var \
    HOST=0.0.0.0 \
    PORT=8000

RUN groupadd --system --gid 10001 smartmap \
    && useradd --system --uid 10001 --gid smartmap --create-home --home-dir /home/smartmap \
       --shell /usr/sbin/nologin smartmap

WORKDIR /app

# Requirements before the code, so that a code change reuses the cached dependency layer.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

# The code stays owned by root and read-only to the app; only var/ (static files, media, mail files,
# the beat schedule) belongs to the app user.
COPY . .

# Static files and translations are built into the image, never at start. The SECRET_KEY here is a
# throwaway, so that settings.py does not generate a key into var/ and bake it into the image; it lives
# in this one step only. DEBUG=0 (from ENV) makes collectstatic write the hashed, compressed files.
RUN SECRET_KEY=build-only-throwaway-key-not-a-secret python manage.py collectstatic --noinput \
    && if [ -d locale ]; then \
         SECRET_KEY=build-only-throwaway-key-not-a-secret python manage.py compilemessages; \
       fi \
    && mkdir -p var/media \
    && chown -R smartmap:smartmap var

USER smartmap
EXPOSE 8000

# Exec form, so SIGTERM reaches gunicorn itself rather than a shell; no ENTRYPOINT, so a compose
# `command` replaces this line whole and each service runs exactly its Procfile line.
CMD ["gunicorn", "--config", "gunicorn.conf.py", "smartmap.wsgi:application"]
