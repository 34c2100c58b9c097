# The SafeGrid node image. It packages exactly what ./safegrid runs: node/target/safegrid.jar (its
# manifest puts lib/*.jar on the class path) and node/target/lib. Build those first:
#   mvn -B -DskipTests -pl node -am package
#   docker build -t safegrid:local .        (or: docker compose build)
FROM eclipse-temurin:17-jre

# a CJK font for the PDF reports (docs/assessment.md): they embed it, so Chinese reads anywhere
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --home-dir /var/lib/safegrid --shell /usr/sbin/nologin safegrid \
 && mkdir -p /opt/safegrid /etc/safegrid /var/lib/safegrid \
 && chown safegrid:safegrid /var/lib/safegrid

# libraries first: they change less often than the application jar, so this layer stays cached
COPY node/target/lib/ /opt/safegrid/lib/
COPY node/target/safegrid.jar /opt/safegrid/safegrid.jar

USER safegrid
WORKDIR /var/lib/safegrid
VOLUME /var/lib/safegrid
# console + /health + /metrics, MQTT, HJ 212, HTTP readings, camera push
EXPOSE 8080 1883 9212 8081 9300

# the launcher's heap defaults (./safegrid, docs/operations.md "Node memory")
ENV SAFEGRID_JAVA_OPTS="-Xms256m -Xmx2g -XX:+UseG1GC -XX:MaxNewSize=128m -XX:GCTimeRatio=4 -XX:G1PeriodicGCInterval=15000"
# sh -c so SAFEGRID_JAVA_OPTS is split into options; exec so java gets SIGTERM and stops cleanly
# with a nice limit of 25+ (compose: ulimits nice 25) the alarm path's threads run ahead of bulk work,
# and with a real-time priority limit of 1+ (compose: ulimits rtprio 1) and node.threads.realtime: auto
# they run real-time
ENTRYPOINT ["sh", "-c", "p=; [ \"$(awk '/^Max nice/ {print $4}' /proc/self/limits)\" -ge 25 ] 2>/dev/null && p=-XX:ThreadPriorityPolicy=1; exec java $p $SAFEGRID_JAVA_OPTS -jar /opt/safegrid/safegrid.jar \"$@\"", "safegrid"]
CMD ["--help"]
