from django.apps import AppConfig


class TestProviderConfig(AppConfig):
    name = "tests.oidc_provider"
    label = "test_provider"

    def ready(self) -> None:
        from oidc_provider.lib.endpoints import token

        from .scenarios import signed_as_the_scenario_says

        # The token endpoint signs every ID token through this name.
        token.encode_id_token = signed_as_the_scenario_says(token.encode_id_token)
