import StewardApp
