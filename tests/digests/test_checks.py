from digests.checks import webhook_secret_check


def test_deploy_check_errors_when_a_real_esp_has_no_webhook_secret(settings):
    settings.ANYMAIL_ESP, settings.ANYMAIL = "postmark", {"WEBHOOK_SECRET": ""}
    errors = webhook_secret_check(None)
    assert [e.id for e in errors] == ["digests.E001"] and errors[0].is_serious()
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:secret"}
    assert webhook_secret_check(None) == []
    settings.ANYMAIL_ESP, settings.ANYMAIL = "", {"WEBHOOK_SECRET": ""}
    assert webhook_secret_check(None) == []
