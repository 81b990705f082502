"""Two secretariat users decide the same application at the same moment: exactly one decision wins."""

import threading

import pytest
from django.db import connection, connections

from os2hub.core.workflow import TransitionConflict
from os2hub.suppliers import services
from os2hub.suppliers.models import ApplicationEvent, SupplierApplication

from .personas import Personas, UserFactory, make_application, member


def test_a_decision_on_a_stale_page_is_refused(people):
    app = make_application(people.new_supplier_org, people.new_supplier_admin, status="submitted", cvr="25052943")
    first_view = SupplierApplication.objects.get(pk=app.pk)
    second_view = SupplierApplication.objects.get(pk=app.pk)  # loaded before the first decision
    services.application_decide(application=first_view, user=people.secretariat, decision="approve")
    with pytest.raises(TransitionConflict):
        services.application_decide(
            application=second_view, user=people.secretariat, decision="reject", comment="For sent."
        )
    assert SupplierApplication.objects.get(pk=app.pk).status == "approved"
    assert ApplicationEvent.objects.filter(application=app, from_status="submitted").count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_decisions_on_postgresql_let_exactly_one_win():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL; the stale-page test covers the logic on SQLite")
    people = Personas()
    colleague = member(UserFactory(email="kollega@example.dk"), people.secretariat_org)
    app = make_application(people.new_supplier_org, people.new_supplier_admin, status="submitted", cvr="25052943")
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(user, decision):
        try:
            barrier.wait()
            services.application_decide(
                application=SupplierApplication.objects.get(pk=app.pk),
                user=user,
                decision=decision,
                comment="Samtidig beslutning.",
            )
            outcomes.append("won")
        except TransitionConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(people.secretariat, "approve")),
        threading.Thread(target=decide, args=(colleague, "reject")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "won"]
    assert ApplicationEvent.objects.filter(application=app, from_status="submitted").count() == 1
