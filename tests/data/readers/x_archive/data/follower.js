window.YTD.follower.part0 = [
  { "follower" : { "accountId" : "2", "userLink" : "https://twitter.com/intent/user?user_id=2" } },
  { "follower" : { "accountId" : "3", "userLink" : "https://twitter.com/intent/user?user_id=3" } }
]
