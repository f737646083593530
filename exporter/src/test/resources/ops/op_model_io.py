"""The saving of make_op_models.py's layout, for the generators that import it: family_models.save_all."""
from family_models import save_all as save  # noqa: F401
