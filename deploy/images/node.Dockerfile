# jdqlite node image. Build from the repository root after `mvn -pl node -am package -DskipTests`:
#   docker build -f deploy/images/node.Dockerfile -t jdqlite/node:0.1.0 .
# (VERSION: the version of the jars, the project's; its default is the current one.)
FROM eclipse-temurin:17-jre
ARG VERSION=0.1.0-SNAPSHOT
LABEL org.opencontainers.image.title="jdqlite-node" org.opencontainers.image.version="${VERSION}"
RUN useradd --system --uid 10001 --home-dir /var/lib/jdqlite jdqlite \
 && mkdir -p /var/lib/jdqlite /deployments && chown jdqlite /var/lib/jdqlite
COPY --chown=jdqlite node/target/quarkus-app/ /deployments/
COPY --chmod=0755 deploy/images/node-start.sh /usr/local/bin/jdqlite-node-start
USER 10001
WORKDIR /var/lib/jdqlite
# dqlite wire protocol, Raft, admin/health HTTP
EXPOSE 9001 10001 8080
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["/usr/local/bin/jdqlite-node-start"]
