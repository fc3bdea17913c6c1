def today() -> None:
    """x"""
