from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.webauthn.views import RemoveWebAuthnView
from allauth.usersessions import app_settings as usersessions_settings
from allauth.usersessions.views import ListUserSessionsView
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render

from kit.permissions import approval_not_required
from kit.sessions import signed_in_sessions


@approval_not_required
def pending(request):
    """Where a signed-in member waits for approval, or reads that they were refused."""
    if request.user.is_approved:
        return redirect("portal:member_home")
    return render(request, "network/pending.html", {"member": request.user})


class RemovePasskeyView(RemoveWebAuthnView):
    """allauth's passkey removal asks the MFA adapter nothing (only its TOTP form
    does), so here the last factor of someone who must keep one stays."""

    def form_valid(self, form):
        adapter = get_mfa_adapter()
        if not adapter.can_delete_authenticator(self.get_object()):
            messages.error(
                self.request, adapter.error_messages["cannot_delete_authenticator"]
            )
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


remove_passkey = approval_not_required(RemovePasskeyView.as_view())


class SessionsView(ListUserSessionsView):
    """allauth's list of the member's sessions, read in one query rather than
    three a session (``kit.sessions.signed_in_sessions``)."""

    def get_context_data(self, **kwargs):
        # FormView's context (the form), without allauth's list of the sessions.
        context = super(ListUserSessionsView, self).get_context_data(**kwargs)
        sessions = signed_in_sessions(self.request.user)
        return {
            **context,
            "sessions": sessions,
            "session_count": len(sessions),
            "show_last_seen_at": usersessions_settings.TRACK_ACTIVITY,
        }


sessions = approval_not_required(SessionsView.as_view())
