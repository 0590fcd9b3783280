# Masthead: a static binary in a small non-root image.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/masthead ./cmd/masthead && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/masthead /masthead
COPY --from=build --chown=65532:65532 /out/data /data
# The SQLite default lives here; mount a volume, or set MASTHEAD_DATABASE_URL.
ENV MASTHEAD_DATA_DIR=/data MASTHEAD_ADDR=:8080
WORKDIR /data
USER nonroot:nonroot
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s CMD ["/masthead", "healthcheck"]
ENTRYPOINT ["/masthead"]
CMD ["serve"]
