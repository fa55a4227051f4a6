# The Bygdevekst web app under gunicorn. Pango, HarfBuzz-Subset and fonts for WeasyPrint's PDFs.
FROM python:3.13-slim-bookworm AS app

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-inter fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The locked dependency tree (hash-checked) in a layer of its own, then the app without resolving again.
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY pyproject.toml README.md ./
COPY bygdevekst bygdevekst
COPY limits limits
COPY access access
COPY measures measures
COPY budget budget
COPY money money
COPY reporting reporting
RUN pip install --no-deps .
COPY . .
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input \
    && useradd --system --home /app bygdevekst
USER bygdevekst

EXPOSE 8000
# Threads, so that /helse/ and short pages are answered while a worker renders a PDF.
CMD ["sh", "-c", "python manage.py migrate --no-input && exec gunicorn bygdevekst.wsgi --bind 0.0.0.0:8000 --workers 3 --worker-class gthread --threads 4 --access-logfile -"]

# The tests' OpenID provider, for docker-compose.yml's `oidc` profile only (a local trial of the
# login): the development dependencies (hash-checked) on top of the app's image.
FROM app AS oidc-provider
USER root
COPY requirements-dev.txt ./
RUN pip install -r requirements-dev.txt
USER bygdevekst
