from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.webauthn.views import RemoveWebAuthnView
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render

from kit.permissions import approval_not_required


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
