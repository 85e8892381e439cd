from .analysis.engine import ACTIVATION_CHECK_INS, ACTIVATION_DAY


def activation(request):
    """When pattern coaching starts, for every page that promises it (one constant, never a literal 14)."""
    return {"ACTIVATION_DAY": ACTIVATION_DAY, "ACTIVATION_CHECK_INS": ACTIVATION_CHECK_INS}
