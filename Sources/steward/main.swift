import StewardApp

await StewardCommand.runMain()
