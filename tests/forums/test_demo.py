import io, pytest
from network.demo import create_demo
from network.models import Thread, Notification
pytestmark = pytest.mark.django_db
def test_demo_twice():
    m = {}
    create_demo(m, io.StringIO()); create_demo(m, io.StringIO())
    assert Thread.objects.count() == 4
    assert Notification.objects.filter(kind="mention").count() >= 3
