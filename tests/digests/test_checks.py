from digests.checks import webhook_secret_is_set


def test_deploy_check_warns_when_a_real_esp_has_unprotected_webhooks(settings):
    settings.ANYMAIL_ESP, settings.ANYMAIL = "postmark", {"WEBHOOK_SECRET": ""}
    assert [w.id for w in webhook_secret_is_set(None)] == ["digests.W001"]
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:secret"}
    assert webhook_secret_is_set(None) == []
    settings.ANYMAIL_ESP, settings.ANYMAIL = "", {"WEBHOOK_SECRET": ""}
    assert webhook_secret_is_set(None) == []
