window.YTD.direct_messages.part0 = [
  { "dmConversation" : { "conversationId" : "1000-2", "messages" : [
      { "messageCreate" : { "recipientId" : "1000", "reactions" : [ ], "urls" : [ ], "text" : "Please open a store in Lyon!", "mediaUrls" : [ ], "senderId" : "2", "id" : "501", "createdAt" : "2022-10-22T10:00:00.000Z" } },
      { "joinConversation" : { "initiatingUserId" : "2" } }
  ] } }
]
