# Sleepsigns bot: long polling by default. Build: docker build -t sleepsigns .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 sleepsigns
WORKDIR /app

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY rules ./rules
RUN pip install . && mkdir -p /app/data && chown sleepsigns:sleepsigns /app/data

USER sleepsigns
# The SQLite default lives here; mount a volume to keep it (or set DATABASE_URL to PostgreSQL).
VOLUME ["/app/data"]
ENV RULES_DIR=/app/rules

CMD ["python", "-m", "bot"]
