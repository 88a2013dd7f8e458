# jdqlite operator image. Build from the repository root after `mvn -pl operator -am package -DskipTests`:
#   docker build -f deploy/images/operator.Dockerfile -t jdqlite/operator:0.1.0 .
# (VERSION: the version of the jars, the project's; its default is the current one.)
FROM eclipse-temurin:17-jre
ARG VERSION=0.1.0-SNAPSHOT
LABEL org.opencontainers.image.title="jdqlite-operator" org.opencontainers.image.version="${VERSION}"
COPY operator/target/jdqlite-operator-${VERSION}-all.jar /opt/jdqlite/operator.jar
USER 65532
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /opt/jdqlite/operator.jar"]
