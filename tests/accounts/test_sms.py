import pytest
from django.core.management import call_command

from opencpf.accounts.models import SmsOutbox
from opencpf.accounts.sms import mask_phone, send_sms


@pytest.mark.django_db
def test_sandbox_gateway_keeps_the_message_and_logs_no_code(caplog):
    with caplog.at_level("INFO"):
        send_sms(to="+33612345678", template="accounts/sms_code.txt", context={"code": "123456", "minutes": 15})
    sms = SmsOutbox.objects.get()
    assert sms.to == "+33612345678" and "123456" in sms.body
    assert "123456" not in caplog.text and "+33612345678" not in caplog.text
    assert mask_phone("+33612345678") in caplog.text


@pytest.mark.django_db
def test_another_gateway_is_chosen_by_setting(settings):
    settings.OPENCPF_SMS_GATEWAY = "tests.accounts.test_sms.RecordingGateway"
    send_sms(to="+33612345678", template="accounts/sms_code.txt", context={"code": "654321", "minutes": 15})
    assert not SmsOutbox.objects.exists()
    assert "654321" in RecordingGateway.sent[-1][1]


@pytest.mark.django_db
def test_sandbox_command_prints_the_outbox(capsys):
    SmsOutbox.objects.create(to="+33612345678", body="OpenCPF: 111111")
    call_command("sandbox_sms")
    assert "OpenCPF: 111111" in capsys.readouterr().out


class RecordingGateway:
    label = "recording"
    sent: list[tuple[str, str]] = []

    def send(self, *, to: str, body: str) -> None:
        self.sent.append((to, body))


@pytest.mark.django_db
@pytest.mark.parametrize("demo", [True, False])
def test_the_demo_prints_sandbox_sms_like_its_emails_and_only_the_demo(settings, capsys, demo):
    settings.OPENCPF_SMS_TO_CONSOLE = demo
    send_sms(to="+33612345678", template="accounts/sms_code.txt", context={"code": "424242", "minutes": 15})
    printed = capsys.readouterr().out
    assert ("424242" in printed and "+33612345678" in printed) is demo
    assert SmsOutbox.objects.get().body.count("424242") == 1
