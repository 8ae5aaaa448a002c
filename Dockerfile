# tallyd in a container, for the docker-compose deployment (services run apart).
# It manages containers on the host, so it runs privileged with the host's pid namespace.
FROM maven:3.9-eclipse-temurin-21 AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc make libc6-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pom.xml mvnw ./
COPY .mvn .mvn
COPY migrations migrations
COPY src src
RUN ./mvnw -B -q package -DskipTests

FROM eclipse-temurin:21-jre
RUN apt-get update && apt-get install -y --no-install-recommends runc containernetworking-plugins iptables iproute2 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/quarkus-app /opt/tally
COPY --from=build /src/target/native/tally-shim /opt/tally/bin/tally-shim
VOLUME ["/var/lib/tally", "/run/tally"]
ENTRYPOINT ["java", "-jar", "/opt/tally/quarkus-run.jar"]
CMD ["-H", "unix:///run/tally/tally.sock", "--data-root", "/var/lib/tally"]
