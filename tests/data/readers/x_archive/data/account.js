window.YTD.account.part0 = [
  {
    "account" : {
      "email" : "owner@example.org",
      "createdVia" : "web",
      "username" : "OwnerHandle",
      "accountId" : "1000",
      "createdAt" : "2015-01-01T00:00:00.000Z",
      "accountDisplayName" : "The Owner"
    }
  }
]
