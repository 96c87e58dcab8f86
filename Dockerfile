# The app image for docker-compose; build the jar first: mvn -q -DskipTests package
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY app/target/splitrank.jar /app/splitrank.jar
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/splitrank.jar"]
