"""The charging UI: confirmation, the batch window with live rows, reconcile, and refunds.

    from kpadmin.gui.charging import ChargingController
    controller = ChargingController(window)   # the main window creates it
    controller.charge_selected(ids); controller.charge_all_due(); controller.charge_now(id)
    controller.reconcile(); controller.refund(subscriber_id, charge_id)   # 0: the latest paid one

Every batch runs through `kpadmin.billing.engine.ChargeEngine` on the qasync loop; see
`controller.py` for how rows are refreshed without blocking the loop.
"""

from kpadmin.gui.charging.controller import ChargingController

__all__ = ["ChargingController"]
