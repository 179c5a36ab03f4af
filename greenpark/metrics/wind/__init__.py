"""Distributed wind (分散式风电): turbines, resource, the vectorised windpowerlib model,
estimates and the energy mix with PV and the metered load."""
