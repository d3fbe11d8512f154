from ogi.cli.main import main

main()
