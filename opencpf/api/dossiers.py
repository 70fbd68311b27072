from ninja import Router

router = Router(tags=["Training files"])
