def brief() -> None:
    """x"""
