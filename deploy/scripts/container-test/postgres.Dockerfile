# A stand-in for the official postgres:15-bookworm image, for machines that reach no image
# registry (the container test): Debian's PostgreSQL 15 behind an entrypoint that keeps the
# official image's contract as far as docker-compose.yml uses it (POSTGRES_USER, POSTGRES_DB,
# POSTGRES_PASSWORD[_FILE], /docker-entrypoint-initdb.d/*.sql|*.sh at the first start, data in
# /var/lib/postgresql/data, port 5432, password authentication over TCP).
ARG RUNTIME_IMAGE=debian:bookworm-slim
FROM ${RUNTIME_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* \
 && install -d -o postgres -g postgres -m 0700 /var/lib/postgresql/data \
 && install -d -o postgres -g postgres -m 2775 /var/run/postgresql \
 && install -d /docker-entrypoint-initdb.d
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
VOLUME ["/var/lib/postgresql/data"]
EXPOSE 5432
# Fast shutdown, as the official image: SIGTERM would wait for every client to disconnect.
STOPSIGNAL SIGINT
USER postgres
ENTRYPOINT ["/bin/bash", "/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]
